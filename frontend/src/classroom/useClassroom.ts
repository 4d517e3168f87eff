// The studio's one hook into the classroom: the session object for this page. On /join/<code>
// (boot data `session`) the page follows that session read-only; elsewhere a tab that was
// presenting this scenario before a reload picks its session up again.
import { useEffect, useState } from "react";
import type { BootData } from "../studio/boot";
import { ClassroomSession } from "./session";

export function useClassroom(boot: BootData): { session: ClassroomSession; following: boolean } {
  const [session] = useState(() => new ClassroomSession());
  const join = boot.session;
  useEffect(() => {
    if (join) session.join(join.code, join.wsUrl);
    else session.resume(boot.scenarioId);
    return () => session.close();
  }, [session, join, boot.scenarioId]);
  return { session, following: join !== null };
}
