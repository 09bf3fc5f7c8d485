import type { OperatorId } from '../../protocol/ids.js';

/**
 * Offers an operator lets run out one after another, counted where their console is (this
 * node sees each `offer-withdrawn: expired` on its way to them, whichever node's timer or
 * sweeper expired it). At the limit the operator is set away and told why, as Twilio Flex
 * does: an operator who walked off without saying so stops holding visitors up for
 * OFFER_TIMEOUT_SECONDS each. Any answer (accept, decline) or choosing to be available again
 * starts the count afresh. A limit of 0 never sets anyone away.
 */
export class MissedOffers {
  private readonly inARow = new Map<OperatorId, number>();

  constructor(
    private readonly limit: number,
    private readonly setAway: (operator: OperatorId, missed: number) => Promise<void>,
  ) {}

  async expired(operator: OperatorId): Promise<void> {
    if (this.limit === 0) return;
    const missed = (this.inARow.get(operator) ?? 0) + 1;
    if (missed < this.limit) return void this.inARow.set(operator, missed);
    this.inARow.delete(operator);
    await this.setAway(operator, missed);
  }

  /** The operator answered an offer, or chose a status: a fresh count. */
  answered(operator: OperatorId): void {
    this.inARow.delete(operator);
  }
}
