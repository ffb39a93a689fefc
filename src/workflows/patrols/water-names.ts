import type { ChiefDuty, Directory } from '../../domain/directory/directory.js';

/** The water body a duty is on, by name; undefined for the general chief's district-wide duty. */
export function waterName(directory: Directory, duty: ChiefDuty): string | undefined {
  return duty.waterBodyId ? directory.waterBodies.find((w) => w.id === duty.waterBodyId)?.name : undefined;
}
