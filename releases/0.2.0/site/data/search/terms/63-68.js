NC.data("search/terms/63-68",{"challenge":[49,96,177,276],"change":[30,52,273],"changing":[30,52,126,273],"china":[11,49,96,146,222,276]});
