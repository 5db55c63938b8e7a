import type { GeoPoint } from '../../geo/geo-encoding.js';

/** The geo queries on geo_point fields, as parsed (query.ts's union holds them). */

export const VALIDATION_METHODS = ['coerce', 'ignore_malformed', 'strict'] as const;
export type ValidationMethod = (typeof VALIDATION_METHODS)[number];

interface GeoBase {
  boost: number;
  name?: string;
  field: string;
  ignoreUnmapped: boolean;
}

export interface GeoDistanceQuery extends GeoBase {
  kind: 'geo_distance';
  center: GeoPoint;
  /** The radius in meters. */
  distance: number;
  validation: ValidationMethod;
}

export interface GeoBoundingBoxQuery extends GeoBase {
  kind: 'geo_bounding_box';
  top: number;
  left: number;
  bottom: number;
  right: number;
  validation: ValidationMethod;
}

export interface GeoPolygonQuery extends GeoBase {
  kind: 'geo_polygon';
  /** The closed ring (first point repeated last). */
  points: GeoPoint[];
  validation: ValidationMethod;
}

export interface GeoGridQuery extends GeoBase {
  kind: 'geo_grid';
  grid: 'geohash' | 'geotile';
  cell: string;
}
