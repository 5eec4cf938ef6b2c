// Messages of a job for its user. The engine never prints: a program shows them (walkshed prints
// info on stdout, notes and warnings on stderr), a library user keeps or drops them.
//
// Messages name options by their field, in backquotes (`max_snap`, `roads.source_srs`), so that a
// program can show its own spelling of the option instead (walkshed: --max-snap, --roads-srs).
#pragma once
#include <functional>
#include <string>

namespace walkshed {

struct Log {
  std::function<void(const std::string&)> on_info;     // progress of the job and its summary
  std::function<void(const std::string&)> on_note;     // worth knowing, nothing wrong
  std::function<void(const std::string&)> on_warning;  // the result may not be what was meant
  void info(const std::string& m) const {
    if (on_info) on_info(m);
  }
  void note(const std::string& m) const {
    if (on_note) on_note(m);
  }
  void warning(const std::string& m) const {
    if (on_warning) on_warning(m);
  }
};

}  // namespace walkshed
