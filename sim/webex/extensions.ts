import type { WebexSimState } from './state';

export type ExtensionState = 'VALID' | 'DUPLICATE' | 'DUPLICATE_IN_LIST' | 'INVALID';

/** Webex Calling extensions are 2 to 6 digits. */
export function isWellFormedExtension(extension: string): boolean {
  return /^\d{2,6}$/.test(extension);
}

/** Extensions are unique per location; `exceptPersonId` lets a person keep its own extension on update. */
export function isExtensionTaken(state: WebexSimState, locationId: string, extension: string, exceptPersonId?: string): boolean {
  return [...state.people.values()].some(
    (p) => p.locationId === locationId && p.extension === extension && p.id !== exceptPersonId,
  );
}

function verdict(state: WebexSimState, locationId: string, extensions: readonly string[], index: number): ExtensionState {
  const extension = extensions[index] ?? '';
  if (!isWellFormedExtension(extension)) return 'INVALID';
  if (extensions.indexOf(extension) < index) return 'DUPLICATE_IN_LIST';
  if (isExtensionTaken(state, locationId, extension)) return 'DUPLICATE';
  return 'VALID';
}

/** The verdict for each candidate, in the order given, as validateExtensions reports it. */
export function classifyExtensions(
  state: WebexSimState,
  locationId: string,
  extensions: readonly string[],
): Array<{ extension: string; state: ExtensionState }> {
  return extensions.map((extension, index) => ({ extension, state: verdict(state, locationId, extensions, index) }));
}
