// Distance along one edge from a set of "cones" (a point at `pos` reached at distance `base`):
// d(x) = min over cones of base + |x - pos|. Splits the edge where the nearest label changes
// and at the band thresholds, and keeps the parts with d <= limit.
#pragma once
#include <cstdint>
#include <vector>

namespace walkshed {

struct Cone {
  double pos;   // metres from the edge's first node
  double base;  // distance at pos
  std::uint32_t label;
};

struct Piece {
  double from, to;        // metres from the edge's first node, from < to
  double d_min, d_max;    // distance range on the piece
  std::uint32_t label;    // nearest label (ties: smaller label)
  std::uint32_t band;     // index of the first threshold >= d_max; thresholds.size() if none
};

// thresholds ascending; limit >= 0 (use infinity for no limit). Appends to `out`.
void edge_pieces(double length, const std::vector<Cone>& cones, const std::vector<double>& thresholds,
                 double limit, std::vector<Piece>& out);

}  // namespace walkshed
