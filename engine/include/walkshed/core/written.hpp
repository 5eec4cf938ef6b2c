// Which existing files an output may replace. Each folder that receives outputs keeps a list of the
// files walkshed wrote there (`.walkshed-outputs`, one line per file: output set, tab, file name).
// A file on that list may be replaced by a later run; any other existing file only with
// `overwrite`, as with ogr2ogr -overwrite. The list also tells which files of an earlier output set
// a new run of it no longer writes (a layer left out this time): those are removed with it.
#pragma once
#include <string>
#include <vector>

namespace walkshed {

inline constexpr const char* kWrittenList = ".walkshed-outputs";

// Throws OutputError when `path` exists and neither `overwrite` is set nor walkshed wrote it.
void check_replaceable(const std::string& path, bool overwrite);

// Notes `files` (final paths, just moved into place) as the output set `set` (its main path) and
// returns the files the previous commit of `set` listed that this one does not. A list that cannot
// be read or written is left alone: the next run then asks for `overwrite`.
std::vector<std::string> note_written(const std::string& set, const std::vector<std::string>& files);

// note_written, then removes the files it returns (regular files only; missing ones are skipped).
// Returns how many were removed.
int note_written_and_remove_stale(const std::string& set, const std::vector<std::string>& files);

}  // namespace walkshed
