// Runs one command-line case of tests/cli/*.yaml: optional setup commands, the walkshed command,
// then checks the exit code, message fragments, files that must not exist, inputs left unchanged,
// and the layers written with their feature counts (and valid geometries); with `documented`, that
// docs/outputs.md names every field of those layers. Exit 0 when it holds.
//   cli_cases WALKSHED DATA_DIR CASE.yaml
//
// In every text {bin} is the walkshed program, {data} the sample folder, {out} a fresh folder.
// Keys: setup (commands), args, exit, stdout / stderr / not_stderr (fragments), absent (files),
// unchanged (inputs), no_temporaries, layers ({file: {layer: count}}), documented, interrupt_after,
// after (commands that must succeed on the outputs).
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <yaml-cpp/yaml.h>

#include "walkshed/core/functions.hpp"
#include "walkshed/rules/profile.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string expand(std::string s, const std::map<std::string, std::string>& vars) {
  for (auto& [k, v] : vars)
    for (auto at = s.find(k); at != std::string::npos; at = s.find(k, at + v.size())) s.replace(at, k.size(), v);
  return s;
}

int shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) return {n.as<std::string>()};
  for (auto x : n) out.push_back(x.as<std::string>());
  return out;
}

// A field name as docs/outputs.md writes it: literally, or with <function> for a function id and <t>
// for a threshold (elderly_care_500m_hh -> <function>_<t>m_hh).
bool documented(const std::string& doc, const std::string& name) {
  if (doc.find("`" + name + "`") != std::string::npos) return true;
  std::string n = name;
  for (auto& f : walkshed::service_functions())
    for (auto at = n.find(f.id); at != std::string::npos; at = n.find(f.id)) n.replace(at, std::strlen(f.id), "<function>");
  static const auto groups = walkshed::load_profile("national").population.groups;
  for (auto& g : groups)
    if (n == "people_" + g.id || n == "people_" + g.id + "_est") n.replace(7, g.id.size(), "<group>");
  std::string out;
  for (std::size_t i = 0; i < n.size(); ++i) {
    std::size_t j = i;
    while (j < n.size() && std::isdigit(static_cast<unsigned char>(n[j]))) ++j;
    if (j > i && j < n.size() && n[j] == 'm') {  // a distance: 500m
      i = j - 1;
      out += "<t>";
    } else {
      out += n[i];
    }
  }
  return doc.find("`" + out + "`") != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: cli_cases WALKSHED DATA_DIR CASE.yaml\n");
    return 2;
  }
  const fs::path out = fs::temp_directory_path() / ("walkshed-case-" + std::to_string(getpid()));
  fs::remove_all(out);
  fs::create_directories(out);
  const std::map<std::string, std::string> vars = {{"{bin}", argv[1]}, {"{data}", argv[2]}, {"{out}", out.string()}};
  std::vector<std::string> failures;
  try {
    const YAML::Node c = YAML::LoadFile(argv[3]);
    for (auto& cmd : strings(c["setup"]))
      if (shell("( " + expand(cmd, vars) + " ) >/dev/null 2>&1") != 0) failures.push_back("setup failed: " + expand(cmd, vars));
    std::map<std::string, std::string> before;
    for (auto& f : strings(c["unchanged"])) before[expand(f, vars)] = slurp(expand(f, vars));
    const std::string args = expand(c["args"].as<std::string>(), vars);
    // interrupt_after: SIGINT after that many seconds (coreutils timeout), the program's own exit code kept;
    // --foreground: one signal to the program only (else timeout signals its process group as well, and
    // the second signal rightly stops walkshed at once).
    const std::string prefix =
        c["interrupt_after"] ? "timeout --foreground --preserve-status -s INT " + c["interrupt_after"].as<std::string>() + " " : "";
    const int code = shell(prefix + std::string(argv[1]) + " " + args + " >" + (out / "stdout.txt").string() + " 2>" +
                           (out / "stderr.txt").string());
    const std::string so = slurp(out / "stdout.txt"), se = slurp(out / "stderr.txt");
    const int want = c["exit"] ? c["exit"].as<int>() : 0;
    if (code != want) failures.push_back("exit code " + std::to_string(code) + ", expected " + std::to_string(want));
    for (auto& cmd : strings(c["after"]))  // checks on what was written, by other programs
      if (shell("( " + expand(cmd, vars) + " ) >/dev/null 2>&1") != 0) failures.push_back("check failed: " + expand(cmd, vars));
    for (auto& s : strings(c["stderr"]))
      if (se.find(expand(s, vars)) == std::string::npos) failures.push_back("stderr lacks '" + s + "'");
    for (auto& s : strings(c["stdout"]))
      if (so.find(expand(s, vars)) == std::string::npos) failures.push_back("stdout lacks '" + s + "'");
    for (auto& s : strings(c["not_stderr"]))
      if (se.find(expand(s, vars)) != std::string::npos) failures.push_back("stderr has '" + s + "'");
    for (auto& f : strings(c["absent"]))
      if (fs::exists(expand(f, vars))) failures.push_back("'" + f + "' exists");
    if (c["no_temporaries"] && c["no_temporaries"].as<bool>())
      for (auto& e : fs::directory_iterator(out))
        if (e.path().filename().string().find("tmp") != std::string::npos)
          failures.push_back("temporary left behind: " + e.path().filename().string());
    for (auto& [f, text] : before)
      if (slurp(f) != text) failures.push_back("input '" + f + "' was changed");
    GDALAllRegister();
    const bool check_docs = c["documented"] && c["documented"].as<bool>();
    const std::string doc = check_docs ? slurp(fs::path(argv[2]) / ".." / "docs" / "outputs.md") : "";
    if (check_docs && doc.empty()) failures.push_back("docs/outputs.md not found");
    for (auto file : c["layers"]) {
      const std::string path = expand(file.first.as<std::string>(), vars);
      std::unique_ptr<GDALDataset> ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
      if (!ds) {
        failures.push_back("cannot open '" + path + "'");
        continue;
      }
      for (auto layer : file.second) {
        const std::string name = layer.first.as<std::string>();
        OGRLayer* l = ds->GetLayerByName(name.c_str());
        if (!l) {
          failures.push_back(path + ": no layer " + name);
          continue;
        }
        const long long n = l->GetFeatureCount(), expected = layer.second.as<long long>();
        if (n != expected)
          failures.push_back(path + " " + name + ": " + std::to_string(n) + " features, expected " + std::to_string(expected));
        if (check_docs)
          for (int k = 0; k < l->GetLayerDefn()->GetFieldCount(); ++k) {
            const std::string field = l->GetLayerDefn()->GetFieldDefn(k)->GetNameRef();
            if (!documented(doc, field)) failures.push_back(name + "." + field + " is not in docs/outputs.md");
          }
        for (auto& f : *l)
          if (f->GetGeometryRef() && !f->GetGeometryRef()->IsValid()) {
            failures.push_back(path + " " + name + ": invalid geometry in feature " + std::to_string(f->GetFID()));
            break;
          }
      }
    }
    if (!failures.empty()) {
      std::cerr << "case " << argv[3] << "\n  walkshed " << args << "\n";
      for (auto& f : failures) std::cerr << "  FAILED: " << f << '\n';
      std::cerr << "  stdout:\n" << so << "  stderr:\n" << se;
    }
  } catch (const std::exception& e) {
    failures.push_back(e.what());
    std::cerr << "case " << argv[3] << ": " << e.what() << '\n';
  }
  std::error_code ec;
  fs::remove_all(out, ec);
  return failures.empty() ? 0 : 1;
}
