// The right panel: a form for whatever is selected (a node, an edge) or for the scenario.
// Forms are generated from the schema; every commit is a model Change.
import { FaultsEditor } from "./FaultsEditor";
import type { Change } from "../model/changes";
import type { FieldSpec, SchemaSpec } from "../model/schema";
import type { ParamValue, Scene } from "../model/types";
import { FieldInput } from "./FieldInput";
import { accentOf, KindIcon, kindTitle } from "./icons";
import type { Focus } from "./selection";

export interface PropertiesPanelProps {
  scene: Scene;
  schema: SchemaSpec;
  focus: Focus;
  readOnly: boolean;
  apply: (change: Change, coalesce?: string) => void;
}

export function PropertiesPanel({ scene, schema, focus, readOnly, apply }: PropertiesPanelProps) {
  return (
    <aside className="properties" aria-label="Properties">
      {focus.type === "node" ? <NodeForm {...{ scene, schema, readOnly, apply }} id={focus.id} />
        : focus.type === "edge" ? <EdgeForm {...{ scene, schema, readOnly, apply }} id={focus.id} />
        : <SceneForm {...{ scene, schema, readOnly, apply }} />}
    </aside>
  );
}

type FormProps = Omit<PropertiesPanelProps, "focus">;

function NodeForm({ scene, schema, readOnly, apply, id }: FormProps & { id: string }) {
  const node = scene.nodes.find((n) => n.id === id);
  if (!node) return null;
  const spec = schema.kinds.find((k) => k.kind === node.kind);
  return (
    <section key={node.id}>
      <header className="properties__head" style={{ ["--accent" as string]: accentOf(node.kind) }}>
        <span className="properties__icon"><KindIcon kind={node.kind} size={22} /></span>
        <div>
          <h2 className="panel-title">{kindTitle(node.kind)}</h2>
          <code className="properties__id">{node.id}</code>
        </div>
      </header>
      <div className="field">
        <label htmlFor="label-input">Label</label>
        <input id="label-input" data-testid="label-input" type="text" value={node.label ?? ""} placeholder={node.id}
          maxLength={200} disabled={readOnly}
          onChange={(e) => apply({ type: "node/label", id: node.id, label: e.target.value }, `label:${node.id}`)} />
      </div>
      {spec ? (
        <Fields fields={spec.params} values={node.params} readOnly={readOnly} prefix={`node:${node.id}`}
          commit={(name, value, key) => apply({ type: "node/param", id: node.id, name, value }, key)} />
      ) : <p className="panel-hint">Unknown kind: no parameters known.</p>}
    </section>
  );
}

function EdgeForm({ scene, schema, readOnly, apply, id }: FormProps & { id: string }) {
  const edge = scene.edges.find((e) => e.id === id);
  if (!edge) return null;
  return (
    <section key={edge.id}>
      <header className="properties__head">
        <div>
          <h2 className="panel-title">Link <code>{edge.id}</code></h2>
          <p className="panel-hint">{edge.source} → {edge.target}</p>
        </div>
      </header>
      <Fields fields={schema.edgeParams} values={edge.params} readOnly={readOnly} prefix={`edge:${edge.id}`}
        commit={(name, value, key) => apply({ type: "edge/param", id: edge.id, name, value }, key)} />
    </section>
  );
}

function SceneForm({ scene, schema, readOnly, apply }: FormProps) {
  const settingsValues = scene.settings as Readonly<Record<string, ParamValue | undefined>>;
  const numeric = schema.settings.filter((f) => f.type === "number" || f.type === "integer");
  return (
    <section>
      <h2 className="panel-title">Scenario</h2>
      <div className="field">
        <label htmlFor="scenario-name">Name</label>
        <input id="scenario-name" data-testid="scenario-name" type="text" value={scene.name} maxLength={200}
          disabled={readOnly} onChange={(e) => apply({ type: "scene/name", name: e.target.value }, "scene:name")} />
      </div>
      <h3 className="panel-subtitle">Settings</h3>
      <Fields fields={numeric} values={settingsValues} readOnly={readOnly} prefix="settings"
        commit={(name, value, key) => apply({ type: "scene/setting", name, value: typeof value === "number" ? value : undefined }, key)} />
      <p className="panel-hint">{scene.nodes.length} nodes · {scene.edges.length} links. Select a node or a link to edit it.</p>
      <FaultsEditor scene={scene} readOnly={readOnly} apply={apply} />
    </section>
  );
}

interface FieldsProps {
  fields: readonly FieldSpec[];
  values: Readonly<Record<string, ParamValue | undefined>>;
  readOnly: boolean;
  prefix: string;
  commit: (name: string, value: ParamValue | undefined, coalesceKey: string) => void;
}

function Fields({ fields, values, readOnly, prefix, commit }: FieldsProps) {
  return (
    <>
      {fields.map((f) => (
        <FieldInput key={`${prefix}:${f.name}`} spec={f} value={values[f.name]} disabled={readOnly}
          onCommit={(v) => commit(f.name, v, `${prefix}:${f.name}`)} />
      ))}
    </>
  );
}
