// The overload-set idiom for std::visit: visit(Overloaded{[](A&){}, ...}, v).
#pragma once

namespace snow {

template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;

}  // namespace snow
