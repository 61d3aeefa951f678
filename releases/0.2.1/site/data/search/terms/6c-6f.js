NC.data("search/terms/6c-6f",{"local":[31,140,276],"long":[49,97,182,280],"longer":[220,280],"looked":[223,234,279],"loot":[76,174,206],"lost":[76,206]});
