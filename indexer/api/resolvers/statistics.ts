/** Request statistics: every holder for callers who see everything, otherwise the viewer's organizations only. */
import { seesEverything } from "../access";
import { loadHolderMonthFigures, loadMedianSecondsToDecision } from "../data/stats";
import type { HolderMonthFigures } from "../data/stats";
import type { ApiContext } from "../types";
import { loadersOf } from "./shared";
import type { ResolverMap } from "./shared";

/** Each figure is read only when selected: the two statements are independent. */
function stats(_: unknown, __: unknown, context: ApiContext) {
  const holderIds = seesEverything(context) ? null : context.scope.organizationIds;
  return {
    perHolderAndMonth: () => loadHolderMonthFigures(context.db, holderIds),
    medianSecondsToDecision: () => loadMedianSecondsToDecision(context.db, holderIds),
  };
}

export const statisticsResolvers: ResolverMap = {
  Query: { stats },
  RequestStatistics: {
    organization: (figures: HolderMonthFigures, _: unknown, context: ApiContext) =>
      loadersOf(context).organization.load(figures.organizationId),
  },
};
