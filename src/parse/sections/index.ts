import type { SectionParser } from '../types.js';

/**
 * Every section parser, in the order they are asked (more specific formats first).
 * test/parse/sections-registry.test.ts checks this list matches the folder.
 */
export const SECTION_PARSERS: SectionParser[] = [];
