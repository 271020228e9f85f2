import type { Problem } from "@starter/problems";

/** The lists API refuses a new list beyond the plan with 403 and code "plan_limit" (api.py). */
export const isPlanLimit = (problem: Problem) => problem.status === 403 && problem.code === "plan_limit";
