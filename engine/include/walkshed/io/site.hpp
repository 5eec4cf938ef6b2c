// Writing candidate and chosen sites.
#pragma once
#include <string>
#include <vector>

#include "walkshed/io/output_options.hpp"
#include "walkshed/siting/site.hpp"

namespace walkshed {

std::vector<std::string> write_sites(const Graph& graph, const std::vector<Community>& communities,
                                     const std::vector<Candidate>& candidates, const SiteResult& result,
                                     const OutputOptions& output);

}  // namespace walkshed
