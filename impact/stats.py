"""Pure statistics for the impact figures (no database)."""

import math

Z95 = 1.959963984540054


def wilson_interval(successes, n, *, z=Z95):
    """The Wilson score interval (low, high) for successes / n; None when n is 0.

    review.trust.reputation.wilson_lower_bound is the same formula's lower half, gated
    for privileges; here both ends, for a figure shown with its uncertainty.
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)
