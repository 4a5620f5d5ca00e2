"""The request body and the rules file every benchmark uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BENCH_TOKEN = "bench-token-0123456789abcdef"


def shopify_order() -> dict[str, Any]:
    """A Shopify `orders/create`-like order, about 1.5 KB as compact JSON."""
    address = {
        "first_name": "Mei-Ling",
        "last_name": "Chen",
        "address1": "No. 7, Sec. 1, Zhongxiao E. Rd.",
        "city": "Taipei",
        "zip": "100",
        "country": "Taiwan",
        "country_code": "TW",
        "phone": "+886 2 2345 6789",
    }
    return {
        "id": 5521794318407,
        "name": "#1042",
        "email": "mei-ling@example.com",
        "created_at": "2024-05-14T10:21:37+08:00",
        "currency": "TWD",
        "financial_status": "paid",
        "total_price": "1280.00",
        "subtotal_price": "1200.00",
        "total_tax": "0.00",
        "total_shipping_price_set": {"shop_money": {"amount": "80.00", "currency_code": "TWD"}},
        "tags": "wholesale, repeat",
        "note": "Please ring the bell twice.",
        "browser_ip": "203.0.113.42",
        "discount_codes": [{"code": "SPRING10", "amount": "120.00", "type": "percentage"}],
        "order_status_url": "https://shop.example.com/5521794/orders/9f2c1a7e/authenticate",
        "line_items": [
            {
                "id": 13702536413255,
                "title": "Oolong tea, 150 g tin",
                "sku": "TEA-OOL-150",
                "quantity": 2,
                "price": "450.00",
                "vendor": "Alishan Farm",
                "requires_shipping": True,
            },
            {
                "id": 13702536446023,
                "title": "Pineapple cake, box of 10",
                "sku": "CAKE-PIN-10",
                "quantity": 1,
                "price": "300.00",
                "vendor": "Sunny Hills",
                "requires_shipping": True,
            },
        ],
        "shipping_address": address,
        "billing_address": address,
        "customer": {
            "id": 7044121067591,
            "email": "mei-ling@example.com",
            "first_name": "Mei-Ling",
            "last_name": "Chen",
            "orders_count": 6,
            "verified_email": True,
        },
        "shipping_lines": [{"code": "Standard", "price": "80.00", "source": "shopify"}],
    }


def order_body() -> bytes:
    """The order as compact JSON bytes: the body of every benchmark request."""
    return json.dumps(shopify_order(), ensure_ascii=False, separators=(",", ":")).encode()


def bench_rules() -> dict[str, Any]:
    """One webhook rule whose only step is a filter the order never passes."""
    return {
        "version": 1,
        "rules": [
            {
                "id": "bench",
                "name": "Bench",
                "enabled": True,
                "trigger": {"type": "webhook", "token": BENCH_TOKEN, "methods": ["POST"]},
                "steps": [
                    {
                        "type": "filter",
                        "match": "all",
                        "conditions": [{"field": "body.total_price", "op": "gt", "value": 1000000}],
                    }
                ],
            }
        ],
    }


def write_home(home: Path) -> Path:
    """Create a data home holding the bench rules.json; return it."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "rules.json").write_text(json.dumps(bench_rules(), indent=2), encoding="utf-8")
    return home
