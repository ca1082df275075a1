/**
 * Storage contract: deployments of several resources, decisions with their requirements graphs, and
 * forms. Every adapter keeps a deployment's files as deployed, finds the latest version, a version, the
 * latest with a version tag and the version of a deployment, answers a version another writer took
 * with a ConflictError, forgets everything of a transaction that rolled back, and sees its own writes
 * inside its transaction. Written to join the shared contract suite (`resourceContract(h)`); run by
 * ./resources.test.ts on SQLite (file and :memory:) and PostgreSQL.
 */
import { expect, it } from 'vitest';
import type { DecisionGraph } from '../../engine/src/model/dmn/types.js';
import {
  ConflictError,
  type DecisionRequirementsRow,
  type DecisionRow,
  type FormRow,
  type Store,
} from '../../engine/src/storage/port.js';

/** A store to test and how to close it (the contract suite's harness has this shape). */
export interface ResourceHarness {
  readonly name: string;
  open(): Promise<{ store: Store; close(): Promise<void> }>;
}

const GRAPH: DecisionGraph = {
  id: 'Grades',
  name: 'Grades',
  decisions: {
    grading: {
      id: 'grading',
      line: 3,
      kind: 'literal',
      requires: [],
      resultName: 'grading',
      literal: { id: 'L', expression: '"good"' },
    },
  },
};

function drg(version: number, deploymentId: string): DecisionRequirementsRow {
  return {
    key: `Grades@${deploymentId}`,
    decisionRequirementsId: 'Grades',
    version,
    name: 'Grades',
    deploymentId,
    resourceName: 'grades.dmn',
    checksum: `sum-${version}`,
    graph: GRAPH,
    deployedAt: 1000 + version,
  };
}

function decision(version: number, deploymentId: string, versionTag: string | null = null): DecisionRow {
  return {
    key: `grading@${deploymentId}`,
    decisionId: 'grading',
    version,
    name: 'Grading',
    versionTag,
    decisionRequirementsKey: `Grades@${deploymentId}`,
    decisionRequirementsId: 'Grades',
    deploymentId,
    deployedAt: 1000 + version,
  };
}

function form(version: number, deploymentId: string, versionTag: string | null = null): FormRow {
  return {
    key: `f@${deploymentId}`,
    formId: 'f',
    version,
    versionTag,
    deploymentId,
    resourceName: 'f.form',
    checksum: `form-${version}`,
    deployedAt: 1000 + version,
  };
}

/** Deploys version `version` of the graph, its decision and the form in deployment `id`. */
async function deployVersion(store: Store, id: string, version: number, tag: string | null): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.definitions.insertDeployment(id, 1000 + version);
    for (const [name, kind, content] of [
      ['grades.dmn', 'dmn', `<definitions v="${version}"/>`],
      ['f.form', 'form', `{"id": "f", "v": ${version}}`],
    ] as const)
      await tx.definitions.insertResource({ deploymentId: id, name, kind, checksum: `c${version}`, content });
    await tx.decisions.insertRequirements(drg(version, id));
    await tx.decisions.insertDecision(decision(version, id, tag));
    await tx.forms.insert(form(version, id, tag));
  });
}

/** Declares the cases for the adapter `h`. */
export function resourceContract(h: ResourceHarness): void {
  const withStore = async (test: (store: Store) => Promise<void>) => {
    const opened = await h.open();
    try {
      await test(opened.store);
    } finally {
      await opened.close();
    }
  };

  it('keeps the resources of a deployment as deployed and finds decisions and forms by every binding', () =>
    withStore(async (store) => {
      // given three versions: 1 tagged "a", 2 tagged "b", 3 untagged
      await deployVersion(store, '1', 1, 'a');
      await deployVersion(store, '2', 2, 'b');
      await deployVersion(store, '3', 3, null);
      // then the reads inside a transaction and the committed reads agree
      await store.transaction(async (tx) => {
        expect((await tx.decisions.latest('grading'))?.version).toBe(3);
        expect((await tx.decisions.byVersion('grading', 1))?.versionTag).toBe('a');
        expect((await tx.decisions.byTag('grading', 'b'))?.version).toBe(2);
        expect((await tx.decisions.inDeployment('grading', '1'))?.version).toBe(1);
        expect(await tx.decisions.inDeployment('grading', '9')).toBeUndefined();
        expect((await tx.decisions.latestRequirements('Grades'))?.version).toBe(3);
        expect((await tx.decisions.requirements('Grades@2'))?.graph).toEqual(GRAPH);
        expect((await tx.decisions.ofRequirements('Grades@2')).map((d) => d.key)).toEqual(['grading@2']);
        expect((await tx.forms.latest('f'))?.version).toBe(3);
        expect((await tx.forms.byTag('f', 'a'))?.version).toBe(1);
        expect((await tx.forms.inDeployment('f', '2'))?.version).toBe(2);
        expect(await tx.forms.byKey('f@3')).toEqual(form(3, '3'));
      });
      expect((await store.read.decisions.all()).map((d) => d.version)).toEqual([1, 2, 3]);
      expect(await store.read.decisions.latest('grading')).toEqual(decision(3, '3'));
      expect((await store.read.decisions.byVersion('grading', 2))?.versionTag).toBe('b');
      expect((await store.read.decisions.requirements('Grades@1'))?.checksum).toBe('sum-1');
      expect((await store.read.forms.all()).map((f) => f.version)).toEqual([1, 2, 3]);
      expect((await store.read.forms.latest('f'))?.key).toBe('f@3');
      expect((await store.read.forms.byVersion('f', 1))?.versionTag).toBe('a');
      expect(await store.read.definitions.resource('2', 'f.form')).toEqual({
        deploymentId: '2',
        name: 'f.form',
        kind: 'form',
        checksum: 'c2',
        content: '{"id": "f", "v": 2}',
      });
      expect(await store.read.definitions.resource('2', 'nope')).toBeUndefined();
    }));

  it('answers a decision, graph or form version another deployment took with a ConflictError', () =>
    withStore(async (store) => {
      await deployVersion(store, '1', 1, null);
      for (const write of [
        (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => tx.decisions.insertRequirements(drg(1, '2')),
        (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => tx.decisions.insertDecision(decision(1, '2')),
        (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => tx.forms.insert(form(1, '2')),
      ]) {
        const attempt = store.transaction(async (tx) => {
          await write(tx);
          await tx.forms.latest('f'); // a read sends writes held back
        });
        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      }
      expect((await store.read.decisions.all()).map((d) => d.key)).toEqual(['grading@1']);
    }));

  it('forgets a deployment whose transaction rolled back, also in what it cached inside', () =>
    withStore(async (store) => {
      // given version 1, and a deployment of version 2 that reads itself back and then fails
      await deployVersion(store, '1', 1, null);
      await expect(
        store.transaction(async (tx) => {
          await tx.definitions.insertDeployment('2', 2000);
          await tx.decisions.insertRequirements(drg(2, '2'));
          await tx.decisions.insertDecision(decision(2, '2'));
          await tx.forms.insert(form(2, '2'));
          expect((await tx.decisions.latest('grading'))?.version).toBe(2);
          expect((await tx.decisions.requirements('Grades@2'))?.version).toBe(2);
          expect((await tx.forms.latest('f'))?.version).toBe(2);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // then nothing of it is found, by a transaction or a committed read
      await store.transaction(async (tx) => {
        expect((await tx.decisions.latest('grading'))?.version).toBe(1);
        expect((await tx.forms.latest('f'))?.version).toBe(1);
        expect(await tx.decisions.inDeployment('grading', '2')).toBeUndefined();
        expect(await tx.decisions.requirements('Grades@2')).toBeUndefined();
      });
      expect(await store.read.decisions.requirements('Grades@2')).toBeUndefined();
      expect((await store.read.forms.latest('f'))?.version).toBe(1);
    }));
}
