"""Reading and writing tables: CSV folders, GeoJSON, GeoPackage."""
