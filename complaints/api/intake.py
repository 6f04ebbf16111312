"""intake operations of the complaints API."""

from ninja import Router

router = Router()
