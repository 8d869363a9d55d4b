#include "libsnowpvm/msr/stream_info.h"

#include "libsnowpvm/msr/wire.h"

#include <vector>

namespace snow::msr {

StreamInfo read_stream_info(ByteSource& in) {
  FrameReader fr(in);
  Decoder d(fr);
  if (static_cast<Tag>(d.u8()) != Tag::Hello)
    throw StateError("corrupt state stream: it does not start with a hello record");
  std::vector<uint8_t> blob(d.bounded(256, "platform description length"));
  d.bytes(blob.data(), blob.size());
  StreamInfo s;
  try {
    s.source = Platform::decode(blob.data(), blob.size());
  } catch (const Error& e) {
    throw StateError(std::string("corrupt state stream: ") + e.what());
  }
  s.portable = (d.varint() & kFlagPortable) != 0;
  s.program = d.string();
  s.roots = d.varint();
  return s;
}

}  // namespace snow::msr
