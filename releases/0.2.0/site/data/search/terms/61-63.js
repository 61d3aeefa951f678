NC.data("search/terms/61-63",{"according":[84,253,272,274],"across":[78,155,217,275]});
