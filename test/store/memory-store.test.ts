import { MemoryStore } from '../../server/store/memory-store.js';
import { storeContract } from './store-contract.js';

storeContract('MemoryStore', async (clock) => {
  const store = new MemoryStore(clock);
  await store.init();
  return store;
});
