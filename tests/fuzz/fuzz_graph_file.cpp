// libFuzzer target: loading a saved graph (.wsg). Damage must be an InputError; anything else
// (another exception, a crash, a huge allocation) is a finding.
#include "fuzz_file.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/network/graph.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz_file(data, size, ".wsg");
  try {
    walkshed::load_graph(path);
  } catch (const walkshed::InputError&) {
  }
  check_open_files();
  return 0;
}
