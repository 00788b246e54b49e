export { decodeGfp } from './decode.js';
export { layoutOf, type Layout } from './layouts.js';
