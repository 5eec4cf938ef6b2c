// libFuzzer target: loading a rule profile (YAML, possibly extending a shipped one).
#include "fuzz_file.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/rules/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz_file(data, size, ".yaml");
  try {
    walkshed::load_profile(path);
  } catch (const walkshed::InputError&) {
  }
  check_open_files();
  return 0;
}
