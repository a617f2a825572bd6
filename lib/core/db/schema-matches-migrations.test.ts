import { readFileSync } from 'node:fs';
import type * as DMMF from '@prisma/dmmf';
import { getDMMF } from '@prisma/get-dmmf';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';

// The migrations are written offline (no schema engine here); this test is what guarantees
// that they build exactly the database schema.prisma describes.
const SQLITE_TYPES: Record<string, string> = {
  String: 'TEXT',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Boolean: 'BOOLEAN',
  DateTime: 'DATETIME',
  Float: 'REAL',
  Decimal: 'DECIMAL',
  Bytes: 'BLOB',
  Json: 'JSONB',
};

let instance: TempInstance;
let sqlite: Database.Database;
let models: readonly DMMF.Model[];
let indexes: readonly DMMF.Index[];

beforeAll(() => {
  instance = createTempInstance();
  sqlite = new Database(instance.databasePath, { readonly: true });
  const dmmf = getDMMF({ datamodel: readFileSync('prisma/schema.prisma', 'utf8') });
  if ('error' in dmmf) throw dmmf.error;
  models = dmmf.datamodel.models;
  indexes = dmmf.datamodel.indexes;
});
afterAll(async () => {
  sqlite.close();
  await instance.cleanup();
});

function tableName(model: DMMF.Model): string {
  return model.dbName ?? model.name;
}

describe('migrations match prisma/schema.prisma', () => {
  it('has exactly the tables of the models', () => {
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((t) => t.name)
      .filter((n) => n !== '_prisma_migrations' && n !== 'sqlite_sequence');
    expect(tables.sort()).toEqual(models.map(tableName).sort());
  });

  it('has every scalar field as a column with its type, nullability, key and default', () => {
    for (const model of models) {
      const columns = sqlite.prepare(`PRAGMA table_info("${tableName(model)}")`).all() as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
        dflt_value: string | null;
      }[];
      const actual = columns.map((c) => ({
        name: c.name,
        type: c.type,
        notNull: c.notnull === 1,
        pk: c.pk > 0,
        hasDefault: c.dflt_value !== null,
      }));
      const expected = model.fields
        .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
        .map((f) => {
          const dbDefault =
            f.hasDefaultValue &&
            !(typeof f.default === 'object' && f.default !== null && 'name' in f.default && f.default.name === 'autoincrement');
          return {
            name: f.dbName ?? f.name,
            type: SQLITE_TYPES[f.type] ?? 'TEXT',
            notNull: f.isRequired,
            pk: f.isId,
            hasDefault: dbDefault,
          };
        });
      expect({ table: tableName(model), columns: actual }).toEqual({ table: tableName(model), columns: expected });
    }
  });

  it('has the unique constraints and indexes, with Prisma names', () => {
    const actual = (
      sqlite.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as {
        name: string;
        tbl_name: string;
      }[]
    ).map((ix) => {
      const unique = (sqlite.prepare(`PRAGMA index_list("${ix.tbl_name}")`).all() as { name: string; unique: number }[]).find(
        (l) => l.name === ix.name,
      )?.unique;
      const cols = (sqlite.prepare(`PRAGMA index_info("${ix.name}")`).all() as { name: string }[]).map((c) => c.name);
      return `${ix.name} ${unique ? 'UNIQUE' : 'INDEX'} (${cols.join(',')})`;
    });
    const expected = indexes
      .filter((ix) => ix.type === 'unique' || ix.type === 'normal')
      .map((ix) => {
        const cols = ix.fields.map((f) => f.name);
        const name = ix.dbName ?? `${ix.model}_${cols.join('_')}_${ix.type === 'unique' ? 'key' : 'idx'}`;
        return `${name} ${ix.type === 'unique' ? 'UNIQUE' : 'INDEX'} (${cols.join(',')})`;
      });
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('has the relations as foreign keys with their referential actions', () => {
    for (const model of models) {
      const actual = (
        sqlite.prepare(`PRAGMA foreign_key_list("${tableName(model)}")`).all() as {
          table: string;
          from: string;
          to: string;
          on_delete: string;
          on_update: string;
        }[]
      ).map((fk) => `${fk.from}->${fk.table}.${fk.to} delete:${fk.on_delete} update:${fk.on_update}`);
      const expected = model.fields
        .filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)
        .map((f) => {
          const target = models.find((m) => m.name === f.type);
          const onDelete = (f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull'))
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toUpperCase();
          return `${f.relationFromFields?.[0]}->${target ? tableName(target) : f.type}.${f.relationToFields?.[0]} delete:${onDelete} update:CASCADE`;
        });
      expect(actual.sort()).toEqual(expected.sort());
    }
  });
});
