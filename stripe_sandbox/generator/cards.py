"""How a card payment looks on a charge: `payment_method_details` and `outcome`."""

from __future__ import annotations

from stripe_sandbox.generator.customers import Card

DECLINE = ("card_declined", "Your card was declined.", "generic_decline")


def card_details(card: Card, amount: int, succeeded: bool, auth_code: str) -> dict:
    return {
        "card": {
            "amount_authorized": amount if succeeded else None,
            "brand": card.brand,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": "pass",
                "cvc_check": "pass",
            },
            "country": card.country,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "extended_authorization": {"status": "disabled"},
            "fingerprint": card.fingerprint,
            "funding": card.funding,
            "incremental_authorization": {"status": "unavailable"},
            "installments": None,
            "last4": card.last4,
            "mandate": None,
            "multicapture": {"status": "unavailable"},
            "network": card.brand,
            "network_token": {"used": False},
            "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
            "three_d_secure": None,
            "wallet": None,
            "authorization_code": auth_code if succeeded else None,
            "regulated_status": "unregulated" if card.funding == "credit" else "regulated",
            "network_transaction_id": auth_code * 2 + "0" * 3 if succeeded else None,
            "transaction_link_id": None,
        },
        "type": "card",
    }


def outcome(succeeded: bool, risk_score: int) -> dict:
    if succeeded:
        return {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network",
            "reason": None,
            "seller_message": "Payment complete.",
            "type": "authorized",
            "risk_level": "normal",
            "risk_score": risk_score,
        }
    return {
        "advice_code": "try_again_later",
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": "declined_by_network",
        "reason": DECLINE[2],
        "seller_message": "The bank did not return any further details with this decline.",
        "type": "issuer_declined",
        "risk_level": "normal",
        "risk_score": risk_score,
    }


def billing_details(customer_body: dict, country: str) -> dict:
    return {
        "address": {
            "city": None,
            "country": country,
            "line1": None,
            "line2": None,
            "postal_code": None,
            "state": None,
        },
        "email": customer_body["email"],
        "name": customer_body["name"],
        "phone": None,
        "tax_id": None,
    }
