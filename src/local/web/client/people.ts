import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Person } from './api.js';

/** Everyone in the directory, by open_id: mentions and person pickers show names, as Feishu does. */
export const PeopleContext = createContext<Map<string, Person>>(new Map());

export function usePeople(): Map<string, Person> {
  return useContext(PeopleContext);
}

/** A person's name, or the id itself when the directory does not know it. */
export function nameOf(people: Map<string, Person>, openId: string): string {
  return people.get(openId)?.name ?? openId;
}
