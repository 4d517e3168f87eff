// Drag and drop from the palette: the kind travels in the DataTransfer under our own type.
export const KIND_MIME = "application/x-topolab-kind";

/** Size of a node card, used to centre a dropped node on the pointer. */
export const NODE_SIZE = { width: 168, height: 56 };
