// oidc-provider's storage in a plain Map, like its quick-start adapter but without the quick-start's 1,000-entry LRU,
// which would evict the refresh tokens minted for the run. Not deployable on more than one process.
const stores = new Map();

export class MemoryAdapter {
  constructor(name) { this.store = stores.get(name) ?? new Map(); stores.set(name, this.store); }
  async upsert(id, payload) { this.store.set(id, payload); }
  async find(id) { return this.store.get(id); }
  async findByUserCode() { return undefined; }
  async findByUid(uid) { for (const p of this.store.values()) if (p.uid === uid) return p; return undefined; }
  async consume(id) { const p = this.store.get(id); if (p) p.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { this.store.delete(id); }
  async revokeByGrantId(grantId) { for (const [k, p] of this.store) if (p.grantId === grantId) this.store.delete(k); }
}

export const memoryAccounts = {
  async prepare() {},
  async find(id) { return { email: `${id}@example.com` }; },
};
