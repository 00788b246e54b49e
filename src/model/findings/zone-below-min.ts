import type { FindingBase } from '../finding.js';
import type { WatermarkLevel } from './shared.js';

/** `zone-below-min`: A zone below (or at) its min watermark when an allocation failed. */
export interface ZoneBelowMinFinding extends FindingBase {
  rule: 'zone-below-min';
  data?: ZoneBelowMinData;
}

export type ZoneBelowMinData = {
  zone: string;
  node: number;
  level: WatermarkLevel | null;
  freeKb: number | null;
  minKb: number | null;
  marginKb: number | null;
  order: number | null;
  pageSizeKb: number | null;
  zones: {
    node: number;
    zone: string;
    level: WatermarkLevel | null;
    freeKb: number | null;
    minKb: number | null;
    lowKb: number | null;
    classZone: string;
    reservePages: number | null;
    reserveKb: number | null;
    unusableCmaKb: number | null;
    unusableHighatomicKb: number | null;
    usableFreeKb: number | null;
    marginKb: number | null;
  }[];
  /** Global OOM kills with the same story told as one finding (the last in detail): how many, the first and last. */
  reports?: number;
  firstIncident?: number;
  lastIncident?: number;
};
