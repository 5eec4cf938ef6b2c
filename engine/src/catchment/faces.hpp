// Faces of the arrangement of reached lines, traced around their junctions (planar embedding).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "walkshed/core/geometry.hpp"

namespace walkshed::detail {

struct PlanarFaces {
  std::vector<Polyline> faces;        // bounded faces, counter-clockwise, first vertex not repeated
  std::vector<Polyline> outer;        // outer boundary of each connected part, clockwise
  std::vector<std::uint32_t> face_part, outer_part;  // connected part of each face / outer boundary
  std::vector<std::uint32_t> loose;   // lines on no face: dead ends, bridges, crossings, no length
  std::vector<std::array<std::uint32_t, 2>> ends;  // junction of the first and last point of each line
};

// Lines meet at end points with identical coordinates. A line that touches another line (or
// itself) anywhere else is loose, like the dead-end trees and the bridges between cycles: faces
// are traced on what is left, which is planar.
PlanarFaces planar_faces(const std::vector<Polyline>& lines);

// Whether p lies inside the closed ring (first vertex not repeated); p on the ring is undefined.
bool inside_ring(const XY& p, const Polyline& ring);

}  // namespace walkshed::detail
