import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { AuditActorKind } from '../generated/prisma/enums.js';

// Who acts, for the audit log: a trigger on each audited table records every row an admin, a
// script or the system changes, in the change's own transaction (prisma/migrations/*_audit_log).
// The actor reaches it as the transaction-local setting `audit.actor`, set here as each
// transaction begins, so no write can forget to say who made it; a write outside a transaction
// is not recorded, so admin writes run in one.

export interface AuditActor {
  kind: AuditActorKind;
  /** The admin token's id. */
  id?: string | null;
  name?: string | null;
}

const acting = new AsyncLocalStorage<AuditActor>();

/** Runs `work` with its transactions recorded as `actor`'s. */
export function actingAs<T>(actor: AuditActor, work: () => Promise<T>): Promise<T> {
  return acting.run(actor, work);
}

/** The driver adapter, telling each transaction it starts who acts (when someone does). */
function tellingActor(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property) {
      if (property === 'startTransaction') {
        return async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
          const transaction = await target.startTransaction(...args);
          const actor = acting.getStore();
          if (actor) {
            await transaction.executeRaw({ sql: "SELECT set_config('audit.actor', $1, true)", args: [JSON.stringify(actor)], argTypes: [{ scalarType: 'string', arity: 'scalar' }] });
          }
          return transaction;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function auditedAdapterFactory(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => tellingActor(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
