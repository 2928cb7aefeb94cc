from .workflow import PendingChangesTask, ReviewDecision

__all__ = ["PendingChangesTask", "ReviewDecision"]
