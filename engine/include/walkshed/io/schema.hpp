// Output columns declared once: name, type, Shapefile name, Chinese label and how to get the value
// from a row. Every layer writer creates and fills its fields from one such list.
#pragma once
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace walkshed {

enum class FieldType { Integer, Integer64, Real, Text };

// A field's value: null, a whole number, a real number, or text (C text that outlives the feature
// being written, or an owned string).
using FieldValue = std::variant<std::monostate, std::int64_t, double, const char*, std::string>;

// NaN as null.
inline FieldValue real_or_null(double v) { return std::isnan(v) ? FieldValue{} : FieldValue{v}; }

template <class Row>
struct Column {
  std::string name;        // GeoPackage and GeoJSON name
  FieldType type;
  std::string short_name;  // Shapefile name (10 characters at most); empty: the name
  std::string label;       // Chinese label: GeoPackage field alias, docs/outputs.md
  std::function<FieldValue(const Row&)> value;
};

template <class Row>
using Schema = std::vector<Column<Row>>;

// Appends the columns of a part of the row (get: Row -> const Part&).
template <class Row, class Part, class Get>
void append_columns(Schema<Row>& to, const Schema<Part>& from, Get get) {
  for (const auto& c : from)
    to.push_back({c.name, c.type, c.short_name, c.label, [v = c.value, get](const Row& r) { return v(get(r)); }});
}

}  // namespace walkshed
