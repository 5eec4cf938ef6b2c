// Private to the engine: reading a YAML file of walkshed's (a profile, a study) with every problem an
// InputError naming the file and line.
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "walkshed/core/error.hpp"

namespace walkshed::detail {

class YamlReader {
 public:
  // kind: how messages name the file ("profile file", "study file").
  YamlReader(std::string kind, std::string file) : kind_(std::move(kind)), file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const {
    std::string where = kind_ + " '" + file_ + "'";
    if (n.Mark().line >= 0) where += ", line " + std::to_string(n.Mark().line + 1);
    throw InputError(where + ": " + msg);
  }
  // Every key of `map` must be one of `allowed`.
  void keys(const YAML::Node& map, std::initializer_list<const char*> allowed, const std::string& what) const {
    if (!map.IsMap()) fail(map, what + " must be a mapping");
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string k = key(it->first, what);
      bool ok = false;
      for (const char* a : allowed) ok |= k == a;
      if (!ok) {
        std::string known;
        for (const char* a : allowed) known += std::string(known.empty() ? "" : ", ") + a;
        fail(it->first, "unknown key '" + k + "' in " + what + " (known: " + known + ")");
      }
    }
  }
  std::string key(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) fail(n, "a key in " + what + " must be a plain name");
    return n.as<std::string>();
  }
  bool flag(const YAML::Node& n, const std::string& what) const {
    try {
      if (n.IsScalar()) return n.as<bool>();
    } catch (const YAML::Exception&) {
    }
    fail(n, what + " must be true or false");
  }
  std::string text(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) fail(n, what + " must be a single value");
    return n.as<std::string>();
  }
  double number(const YAML::Node& n, const std::string& what) const {
    try {
      if (n.IsScalar()) return n.as<double>();
    } catch (const YAML::Exception&) {
    }
    fail(n, what + " must be a number");
  }
  std::vector<std::string> list(const YAML::Node& n, const std::string& what) const {
    if (!n.IsSequence()) fail(n, what + " must be a list");
    std::vector<std::string> out;
    for (auto item : n) out.push_back(text(item, what));
    return out;
  }

 private:
  std::string kind_, file_;
};

}  // namespace walkshed::detail
