"""Help by text message (issue 15): a Twilio-compatible webhook and a short conversation.

The person texts "food 60601"; Steward answers with the three nearest services that
are open or open soonest, "MORE", "1".."9" for details, and a follow-up question by
consent only. Numbers are kept only as keyed hashes (impact.sms.privacy).
"""
