import { sodiumPrimitives } from '../../e2e/sodium-primitives.js';
import { primitivesContract } from './primitives-contract.js';

primitivesContract('libsodium (sodium-primitives)', sodiumPrimitives);
