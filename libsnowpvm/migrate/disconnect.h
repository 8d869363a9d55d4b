// The disconnection handler of a peer (seed 001 Fig. 6), run at the first
// safe point after SIGUSR2.
#pragma once

namespace snow::comm {
class Runtime;
}

namespace snow::migrate {

class DisconnectionHandler {
 public:
  explicit DisconnectionHandler(comm::Runtime& rt) : rt_(rt) {}
  void run();

 private:
  comm::Runtime& rt_;
};

}  // namespace snow::migrate
