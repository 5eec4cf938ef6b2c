// Temporary names beside an output: written there, renamed into place when complete. A process that
// died (SIGKILL, power loss) leaves them behind; the next run in that folder removes them.
#pragma once
#include <string>

namespace walkshed {

// ".walkshed-tmp-<pid>-": the start of every temporary name of this process.
std::string temp_prefix();

// A temporary name of this process, unique within it, beside `final_path` (stale ones removed first).
std::string temp_path_for(const std::string& final_path);

// Removes the temporaries in `dir` whose process is no longer running (once per folder and process);
// returns how many.
int remove_stale_temporaries(const std::string& dir);

}  // namespace walkshed
