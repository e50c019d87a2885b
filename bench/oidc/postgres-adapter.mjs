// oidc-provider's storage in PostgreSQL, the way a deployment with several processes keeps it (the adapter
// interface of oidc-provider's documentation): one table for every model, JSON payloads, consumption as a
// timestamp. Accounts come from a table too, as Idp's users do.
import pg from 'pg';

export function postgresStorage(connectionString) {
  const pool = new pg.Pool({ connectionString, max: 32 });

  class PostgresAdapter {
    constructor(name) { this.name = name; }

    async upsert(id, payload, expiresIn) {
      await pool.query(
        `INSERT INTO oidc_models (id, kind, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
         ON CONFLICT (id, kind) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at`,
        [id, this.name, payload, payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresIn ?? null]);
    }

    async find(id) { return this.#one('id', id); }
    async findByUserCode(userCode) { return this.#one('user_code', userCode); }
    async findByUid(uid) { return this.#one('uid', uid); }

    async consume(id) {
      await pool.query('UPDATE oidc_models SET consumed_at = now() WHERE id = $1 AND kind = $2', [id, this.name]);
    }

    async destroy(id) { await pool.query('DELETE FROM oidc_models WHERE id = $1 AND kind = $2', [id, this.name]); }
    async revokeByGrantId(grantId) { await pool.query('DELETE FROM oidc_models WHERE grant_id = $1', [grantId]); }

    async #one(column, value) {
      const { rows } = await pool.query(
        `SELECT payload, consumed_at FROM oidc_models
         WHERE ${column} = $1 AND kind = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [value, this.name]);
      if (rows.length === 0) return undefined;
      const { payload, consumed_at: consumedAt } = rows[0];
      return consumedAt ? { ...payload, consumed: Math.floor(consumedAt.getTime() / 1000) } : payload;
    }
  }

  const accounts = {
    async prepare() {
      await pool.query(`CREATE TABLE IF NOT EXISTS oidc_models (
        id text NOT NULL, kind text NOT NULL, payload jsonb NOT NULL, grant_id text, user_code text, uid text,
        expires_at timestamptz, consumed_at timestamptz, PRIMARY KEY (id, kind))`);
      await pool.query('CREATE INDEX IF NOT EXISTS oidc_models_grant_id ON oidc_models (grant_id)');
      await pool.query('CREATE INDEX IF NOT EXISTS oidc_models_uid ON oidc_models (uid)');
      await pool.query('CREATE INDEX IF NOT EXISTS oidc_models_user_code ON oidc_models (user_code)');
      await pool.query('CREATE TABLE IF NOT EXISTS accounts (id text PRIMARY KEY, email text NOT NULL)');
      await pool.query("INSERT INTO accounts VALUES ('alice', 'alice@example.com') ON CONFLICT DO NOTHING");
    },
    async find(id) {
      const { rows } = await pool.query('SELECT email FROM accounts WHERE id = $1', [id]);
      return rows[0];
    },
  };

  return { Adapter: PostgresAdapter, accounts };
}
