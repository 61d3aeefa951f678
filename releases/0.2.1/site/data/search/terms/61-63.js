NC.data("search/terms/61-63",{"according":[88,260,276,278],"across":[81,160,244,279]});
