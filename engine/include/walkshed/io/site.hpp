// Writing candidate and chosen sites.
#pragma once
#include <string>
#include <vector>

#include "walkshed/siting/site.hpp"

namespace walkshed {

struct SiteOutputOptions {
  std::string path = "out/sites.gpkg";
  std::string format, csv;
  std::vector<std::string> inputs;
};

std::vector<std::string> write_sites(const Graph& graph, const std::vector<Community>& communities,
                                     const std::vector<Candidate>& candidates, const SiteResult& result,
                                     const SiteOutputOptions& output);

}  // namespace walkshed
