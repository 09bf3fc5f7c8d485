import { noblePrimitives } from '../../e2e/noble-primitives.js';
import { primitivesContract } from './primitives-contract.js';

primitivesContract('noble (noble-primitives)', noblePrimitives);
