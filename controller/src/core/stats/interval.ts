/**
 * An estimate with its confidence interval. For confidence sequences the interval holds at every
 * look simultaneously (time-uniform), not only at a fixed sample size.
 */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}
