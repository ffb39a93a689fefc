import { placeKey, toPlace } from '../domain/delivery/message-keys.js';
import type { Directory, Person, Unit } from '../domain/directory/directory.js';
import type { MessageBody, Messenger, OutgoingFile, Recipient } from './ports.js';

/** One place a message goes, with the suffix that makes its outbox key unique per place. */
export interface Destination {
  to: Recipient;
  place: string;
}

/** A unit's chat, or each member by direct message when it has none. */
export function unitDestinations(directory: Directory, unit: Unit | undefined): Destination[] {
  if (!unit) return [];
  if (unit.chatId) return [{ to: { chatId: unit.chatId }, place: placeKey('unit', unit.id) }];
  return unit.members.map((id) => personDestination(directory, id)).filter((d): d is Destination => !!d);
}

export function unitDestinationsById(directory: Directory, unitId: string | undefined): Destination[] {
  return unitDestinations(
    directory,
    directory.units.find((u) => u.id === unitId),
  );
}

export function officeDestinations(directory: Directory): Destination[] {
  return unitDestinations(
    directory,
    directory.units.find((u) => u.kind === 'riverChiefOffice'),
  );
}

export function personDestination(directory: Directory, personId: string | undefined): Destination | undefined {
  const person = directory.people.find((p): p is Person & { openId: string } => p.id === personId && !!p.openId);
  return person ? { to: { openId: person.openId }, place: placeKey('dm', person.id) } : undefined;
}

export function waterBodyDestination(directory: Directory, waterBodyId: string | undefined): Destination | undefined {
  const water = directory.waterBodies.find((w) => w.id === waterBodyId);
  return water?.chatId ? { to: { chatId: water.chatId }, place: placeKey('water', water.id) } : undefined;
}

/** Each place once, in order: a person reached directly and through a chat gets both. */
export function distinctPlaces(destinations: Array<Destination | undefined>): Destination[] {
  const seen = new Set<string>();
  return destinations.filter((d): d is Destination => {
    if (!d || seen.has(d.place)) return false;
    seen.add(d.place);
    return true;
  });
}

/** Sends a message once per key to each destination, once to a place named twice. */
export async function notify(
  messenger: Messenger,
  destinations: Destination[],
  key: string,
  body: MessageBody | OutgoingFile,
): Promise<void> {
  for (const d of distinctPlaces(destinations)) await messenger.send(toPlace(key, d.place), d.to, body);
}
