// The metric working CRS for a place: the CGCS2000 3-degree Gauss-Kruger zone inside China,
// else the WGS 84 UTM zone.
#pragma once

namespace walkshed {

// EPSG code of the metric CRS for data centred at (lon, lat): the CGCS2000 3-degree
// Gauss-Kruger zone (EPSG:4534-4554) with the nearest central meridian inside China,
// else the WGS 84 UTM zone.
int metric_epsg_for(double lon, double lat);

// True if (lon, lat) lies in the rough bounding box of mainland China used for the choice above.
bool in_china(double lon, double lat);

}  // namespace walkshed
