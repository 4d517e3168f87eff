// The scenario schema from the server, parsed once; the built-in fallback until it arrives
// or if it cannot be had.
import { useEffect, useState } from "react";
import { FALLBACK_SCHEMA, parseSchema, type SchemaSpec } from "../model/schema";
import { setMessageKindsFromSchema } from "../model/messageKinds";
import { fetchSchema } from "../net/api";

export function useSchema(): { schema: SchemaSpec; loaded: boolean } {
  const [state, setState] = useState<{ schema: SchemaSpec; loaded: boolean }>({ schema: FALLBACK_SCHEMA, loaded: false });
  useEffect(() => {
    let live = true;
    fetchSchema()
      .then((raw) => {
        setMessageKindsFromSchema(raw);
        if (live) setState({ schema: parseSchema(raw), loaded: true });
      })
      .catch(() => live && setState({ schema: FALLBACK_SCHEMA, loaded: true }));
    return () => {
      live = false;
    };
  }, []);
  return state;
}
