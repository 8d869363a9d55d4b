// Seeds for the decoder's fuzz target.
//
//   msr_corpus from-stream STREAM OUTDIR NAME   a stream (e.g. a checkpoint
//        of msr_zoo from any architecture) as two seeds: whole (mode 0)
//        and as record bytes (mode 1)
//   msr_corpus native OUTDIR                    the zoo as this process
//        collects it for a same-layout destination, and a state with two
//        saved frames
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/util/error.h"
#include "msr_frames.h"
#include "msr_fuzz_state.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

namespace {

void write_seed(const std::string& path, uint8_t mode, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.put(static_cast<char>(mode));
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw snow::Error("cannot write " + path);
}

void seeds(const std::vector<uint8_t>& stream, const std::string& dir, const std::string& name) {
  write_seed(dir + "/" + name + ".stream", 0, stream);
  write_seed(dir + "/" + name + ".records", 1, msr_test::unframe(stream));
}

std::vector<uint8_t> collect(std::optional<snow::Platform> dst) {
  snow::MemorySink sink;
  snow::msr::Collector(snow::msr::Registry::process(), dst).run(sink);
  return sink.take();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "from-stream" && argc == 5) {
      std::ifstream in(argv[2], std::ios::binary);
      std::vector<uint8_t> s((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      if (s.empty()) throw snow::Error(std::string("empty or missing stream ") + argv[2]);
      seeds(s, argv[3], argv[4]);
      return 0;
    }
    if (mode == "native" && argc == 3) {
      if (!msr_fuzz::setup_roots()) throw snow::Error("registration failed");
      zoo_build(&msr_fuzz::g_zoo, &msr_fuzz::g_stack, 0);
      seeds(collect(snow::Platform::local()), argv[2], "zoo-homogeneous");
      msr_fuzz::save_frames();
      seeds(collect(std::nullopt), argv[2], "zoo-frames");
      return 0;
    }
    std::cerr << "usage: msr_corpus from-stream STREAM OUTDIR NAME | native OUTDIR\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "msr_corpus: " << e.what() << "\n";
    return 1;
  }
}
