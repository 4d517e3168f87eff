// Entry point (built to static/app/studio.js): reads the boot data and mounts the studio, or
// the compact embed player on /embed/<slug>.
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { readBoot } from "./studio/boot";
import { App } from "./studio/App";
import { EmbedPlayer } from "./share/EmbedPlayer";
import { resolveEditRights } from "./share/editRights";
import "./styles/base.css";
import "./styles/studio.css";
import "./styles/editor.css";
import "./styles/share.css";

const root = document.getElementById("root");
if (root) {
  // Edit rights first: a forked scenario's token arrives in the URL fragment.
  void resolveEditRights(readBoot()).then((boot) => {
    createRoot(root).render(
      <StrictMode>
        <ReactFlowProvider>
          {boot.embed ? <EmbedPlayer boot={boot} /> : <App boot={boot} />}
        </ReactFlowProvider>
      </StrictMode>,
    );
  });
}
