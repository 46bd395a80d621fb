// A redirect page: tracks, then leaves before the database can open (an external file, for the CSP-free page).
window.segments.track('add_to_cart', { item_id: 'sku-redirect' });
location.replace('/facade.html');
