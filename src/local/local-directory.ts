import type { Directory, Person } from '../domain/directory/directory.js';

/**
 * Who can act on the trial page and which group chats each person is in, read from the
 * directory. Feishu knows a chat's members; the directory only names the chats, so membership
 * is what a district would arrange: a unit's chat holds its members, a water body's chat its
 * chiefs, its liaison unit's members and the river chief office's staff, who follow every one.
 */

export interface LocalPerson {
  openId: string;
  /** The directory's id for the person (`zhang-zonghezhang`). */
  id: string;
  name: string;
  /** Short Chinese description: `区级河长 · 大渡河（金口河段）`, `区河长制办公室`. */
  role: string;
  /** The unit's name, or ''. */
  unit: string;
}

export interface LocalGroupChat {
  chatId: string;
  name: string;
  members: string[];
}

function rolesOf(directory: Directory, person: Person): string[] {
  const roles: string[] = [];
  if (directory.generalChief === person.id) roles.push('区级总河长');
  for (const water of directory.waterBodies) {
    if (water.districtChief === person.id) roles.push(`区级河长 · ${water.name}`);
    for (const [township, chief] of Object.entries(water.townshipChiefs)) {
      const name = directory.units.find((u) => u.id === township)?.name ?? township;
      if (chief === person.id) roles.push(`乡级河长 · ${water.name}（${name}）`);
    }
    for (const [village, chief] of Object.entries(water.villageChiefs))
      if (chief === person.id) roles.push(`村级河长 · ${water.name}（${village}）`);
  }
  return roles;
}

/** Everyone with a Feishu id, in directory order. */
export function localPeople(directory: Directory | undefined): LocalPerson[] {
  if (!directory) return [];
  return directory.people.flatMap((person) => {
    if (!person.openId) return [];
    const units = directory.units.filter((u) => u.members.includes(person.id)).map((u) => u.name);
    const roles = [...rolesOf(directory, person), ...units];
    return [
      {
        openId: person.openId,
        id: person.id,
        name: person.name,
        role: roles.join('、') || '（无职务）',
        unit: units[0] ?? '',
      },
    ];
  });
}

/** Every group chat the directory names, with the open ids of its members. */
export function localGroupChats(directory: Directory | undefined): LocalGroupChat[] {
  if (!directory) return [];
  const openIdOf = new Map(directory.people.map((p) => [p.id, p.openId]));
  const ids = (personIds: Array<string | undefined>) => [
    ...new Set(personIds.flatMap((id) => (id && openIdOf.get(id) ? [openIdOf.get(id) as string] : []))),
  ];
  const membersOf = (unitId: string | undefined) => directory.units.find((u) => u.id === unitId)?.members ?? [];
  const office = directory.units.filter((u) => u.kind === 'riverChiefOffice').flatMap((u) => u.members);
  const chats: LocalGroupChat[] = [];
  for (const unit of directory.units)
    if (unit.chatId) chats.push({ chatId: unit.chatId, name: unit.name, members: ids(unit.members) });
  for (const water of directory.waterBodies) {
    if (!water.chatId) continue;
    const chiefs = [water.districtChief, ...Object.values(water.townshipChiefs), ...Object.values(water.villageChiefs)];
    chats.push({
      chatId: water.chatId,
      name: `${water.name}河长群`,
      members: ids([...chiefs, ...membersOf(water.liaisonUnit), ...office]),
    });
  }
  return chats;
}
