// Entry point (built to static/app/studio.js): reads the boot data and mounts the studio.
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { readBoot } from "./studio/boot";
import { App } from "./studio/App";
import "./styles/base.css";
import "./styles/studio.css";
import "./styles/editor.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ReactFlowProvider>
        <App boot={readBoot()} />
      </ReactFlowProvider>
    </StrictMode>,
  );
}
