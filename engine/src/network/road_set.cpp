// RoadSet: the lines read from a road layer, with their ids and classes.
#include "walkshed/core/error.hpp"
#include "walkshed/network/roads.hpp"

namespace walkshed {

void RoadSet::add_line(const XY* p, std::size_t n, std::int64_t id, const std::string& road_class) {
  std::uint16_t cls;
  if (!line_class.empty() && class_names[line_class.back()] == road_class) {  // runs of one class are common
    cls = line_class.back();
  } else {
    auto [it, added] = class_ids_.try_emplace(road_class, static_cast<std::uint16_t>(class_names.size()));
    if (added) {
      if (class_names.size() > 0xffff) throw InputError("more than 65,535 distinct road classes (choose another class field)");
      class_names.push_back(road_class);
    }
    cls = it->second;
  }
  lines.add(p, n);
  source_id.push_back(id);
  line_class.push_back(cls);
}

void RoadSet::add_feature(const LineSet& parts, std::int64_t id, const std::string& road_class, bool node_ids,
                          const std::int64_t* node) {
  if (parts.empty()) {
    ++dropped["not a line"];
    return;
  }
  if (node_ids && !node) {
    ++dropped["node id missing"];
    return;
  }
  if (node_ids && parts.size() > 1) {  // one edge per feature: its parts would have no node ids
    ++dropped["multi-part line with node ids"];
    return;
  }
  for (std::uint32_t i = 0; i < parts.size(); ++i) add_line(parts.points.data() + parts.first[i], parts.count(i), id, road_class);
  if (node_ids) from_node.push_back(node[0]), to_node.push_back(node[1]);
}

}  // namespace walkshed
